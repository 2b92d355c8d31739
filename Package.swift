// swift-tools-version: 6.2
import PackageDescription

// wabaform: a declarative configuration reconciler for 360dialog partners.
//
// One OpenAPI document (schemas/partner-api.openapi.yaml, symlinked into
// PartnerAPIContract) generates the wire types, the client and the server stubs,
// so the client and the sandbox cannot disagree about the wire format.
let package = Package(
    name: "wabaform",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wabaform", targets: ["wabaform"]),
        .library(name: "PartnerSandbox", targets: ["PartnerSandbox"]),
        .library(name: "WabaformCore", targets: ["WabaformCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
    ],
    targets: [
        // Facts and rules of the 360dialog APIs shared by the config validator, the
        // client and the sandbox (regions, webhook URL rules, phone normalisation).
        // No dependencies, so everything can use it.
        .target(name: "PartnerAPIRules"),

        // Generated from schemas/partner-api.openapi.yaml (symlinked into both): types,
        // client and server stubs. HubAPI holds the operations tagged `partner` (served
        // under the Partner API base URL), MessagingAPI those tagged `messaging`.
        .target(
            name: "HubAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .target(
            name: "MessagingAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),

        // The emulator of the Partner and Messaging APIs (Hummingbird).
        .target(
            name: "PartnerSandbox",
            dependencies: [
                "PartnerAPIRules",
                "HubAPI",
                "MessagingAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),

        // Desired-state configuration: loading from YAML nodes, located diagnostics.
        .target(
            name: "WabaformConfig",
            dependencies: [
                "PartnerAPIRules",
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // Live state, planning, rendering, applying.
        .target(
            name: "WabaformCore",
            dependencies: [
                "PartnerAPIRules",
                "HubAPI",
                "MessagingAPI",
                "WabaformConfig",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // Commands: parse flags, call a service, map the result to output and an exit code.
        .target(
            name: "WabaformCLI",
            dependencies: [
                "WabaformConfig",
                "WabaformCore",
                "PartnerSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "wabaform", dependencies: ["WabaformCLI"]),

        // CPU of planning and rendering a large fleet in memory (benchmarks/, docs/performance.md).
        .executableTarget(
            name: "wabaform-bench",
            dependencies: ["WabaformCore", "WabaformConfig", "PartnerAPIRules"]
        ),

        .testTarget(
            name: "PartnerSandboxTests",
            dependencies: [
                "WabaformTestSupport",
                "PartnerSandbox",
                "wabaform",
                "PartnerAPIRules",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Shared by the test targets: golden files and the JSON Schema check.
        .target(
            name: "WabaformTestSupport",
            path: "Tests/WabaformTestSupport"
        ),
        .testTarget(
            name: "WabaformCoreTests",
            dependencies: [
                "WabaformCore",
                "WabaformTestSupport",
                "WabaformConfig",
                "PartnerSandbox",
                "PartnerAPIRules",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ]
        ),
        .testTarget(
            name: "WabaformCLITests",
            dependencies: [
                "wabaform",
                "WabaformTestSupport",
                "PartnerSandbox",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "WabaformConfigTests",
            dependencies: ["WabaformConfig", "PartnerAPIRules"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
