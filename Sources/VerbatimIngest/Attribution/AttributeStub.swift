// TEMPORARY stub until the real speaker attribution lands (SpeakerAttributor+Attribute.swift).
import VerbatimModel

extension SpeakerAttributor {
    package static func attribute(_ input: AttributionInput) -> AttributionResult {
        AttributionResult(
            speakers: [], assignments: Array(repeating: (speaker: nil, attribution: .none), count: input.paragraphs.count))
    }
}
