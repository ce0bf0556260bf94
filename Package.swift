// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Verbatim",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LMDB", targets: ["LMDB"]),
        .library(name: "VerbatimModel", targets: ["VerbatimModel"]),
        .library(name: "VerbatimIngest", targets: ["VerbatimIngest"]),
        .library(name: "VerbatimStore", targets: ["VerbatimStore"]),
        .executable(name: "verbatim", targets: ["verbatim"]),
        .executable(name: "verbatim-bench", targets: ["verbatim-bench"]),
        .executable(name: "verbatimd", targets: ["verbatimd"]),
        .library(name: "VerbatimServer", targets: ["VerbatimServer"]),
        .library(name: "VerbatimClient", targets: ["VerbatimClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // The C library, from Debian's liblmdb-dev.
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        // A plain C loop of mdb_get, the peer of the in-process read benchmark.
        .target(name: "CLMDBBench", dependencies: ["CLMDB"]),
        .target(name: "LMDB", dependencies: ["CLMDB"], swiftSettings: strict),
        // The byte scan of quote lookup's candidate check, with SSE2 (VerbatimModel's PhraseMatcher).
        .target(name: "CByteScan"),
        // Cache-line prefetch for reads batched across an event loop iteration.
        .target(name: "CPrefetch"),
        .target(name: "VerbatimModel", dependencies: ["CByteScan"], swiftSettings: strict),
        .target(name: "VerbatimIngest", dependencies: ["VerbatimModel"], swiftSettings: strict),
        // Generated protobuf messages (committed; see tools/generate-proto.sh).
        .target(
            name: "VerbatimProtocol",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            // Generated code, read and written through each message's storage class: its
            // dynamic exclusivity checks were a third of a paragraph's decoding time.
            swiftSettings: strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        // The framing of the wire protocol (docs/PROTOCOL.md), on NIOCore's ByteBuffer.
        .target(
            name: "VerbatimWire",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict
        ),
        .target(
            name: "VerbatimStore",
            dependencies: [
                "LMDB", "VerbatimModel", "VerbatimProtocol", "CPrefetch",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strict
        ),
        // The daemon as a library: SwiftNIO server, dispatch of calls onto the store.
        .target(
            name: "VerbatimServer",
            dependencies: [
                "VerbatimStore", "VerbatimWire", "VerbatimProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strict
        ),
        // The async client library.
        .target(
            name: "VerbatimClient",
            dependencies: [
                "VerbatimWire", "VerbatimProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "verbatimd",
            dependencies: [
                "VerbatimServer", "VerbatimStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "verbatim",
            dependencies: [
                "VerbatimStore", "VerbatimIngest", "VerbatimProtocol", "VerbatimClient", "VerbatimWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "verbatim-bench",
            dependencies: [
                "VerbatimStore", "CLMDBBench", "VerbatimWire", "VerbatimProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "VerbatimTesting",
            dependencies: ["VerbatimStore", "VerbatimIngest"],
            path: "Tests/VerbatimTesting",
            swiftSettings: strict
        ),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB", "CLMDB"], swiftSettings: strict),
        .testTarget(
            name: "VerbatimWireTests",
            dependencies: [
                "VerbatimWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "VerbatimModelTests", dependencies: ["VerbatimModel", "CByteScan"], swiftSettings: strict),
        .testTarget(
            name: "VerbatimIngestTests",
            dependencies: ["VerbatimIngest", "VerbatimTesting"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "VerbatimStoreTests",
            dependencies: [
                "VerbatimStore", "VerbatimIngest", "VerbatimTesting", "VerbatimProtocol",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "VerbatimServerTests",
            dependencies: [
                "VerbatimServer", "VerbatimClient", "VerbatimWire", "VerbatimTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "VerbatimCLITests",
            dependencies: ["VerbatimTesting"],
            swiftSettings: strict
        ),
    ]
)
