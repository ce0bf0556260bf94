/// Speaker attribution: `SpeakerAttributor.attribute(_:)` maps a document's body paragraphs
/// to speakers. The function lives in `Attribution/`; this file only declares the namespace.
package enum SpeakerAttributor {}
