// swift-tools-version: 6.2
import PackageDescription

// wabaform: a declarative configuration reconciler for 360dialog partners.
//
// One OpenAPI document (schemas/partner-api.openapi.yaml, symlinked into
// PartnerAPIContract) generates the wire types, the client and the server stubs,
// so the client and the sandbox cannot disagree about the wire format.
// The library products targets use, named once.
let openAPIRuntime: Target.Dependency = .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")
let asyncHTTPClient: Target.Dependency = .product(name: "AsyncHTTPClient", package: "async-http-client")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")
let nioHTTP1: Target.Dependency = .product(name: "NIOHTTP1", package: "swift-nio")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")
let yams: Target.Dependency = .product(name: "Yams", package: "Yams")
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let openAPIHummingbird: Target.Dependency = .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

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
            dependencies: [openAPIRuntime],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .target(
            name: "MessagingAPI",
            dependencies: [openAPIRuntime],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),

        // The emulator of the Partner and Messaging APIs (Hummingbird).
        .target(
            name: "PartnerSandbox",
            dependencies: [
                "PartnerAPIRules",
                "HubAPI",
                "MessagingAPI",
                hummingbird,
                openAPIHummingbird,
                openAPIRuntime,
                yams,
                logging,
                crypto,
                nioCore,
                httpTypes,
            ]
        ),

        // Desired-state configuration: loading from YAML nodes, located diagnostics.
        .target(
            name: "WabaformConfig",
            dependencies: [
                "PartnerAPIRules",
                yams,
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
                openAPIRuntime,
                asyncHTTPClient,
                logging,
                crypto,
                nioCore,
                httpTypes,
                yams,
            ]
        ),

        // Commands: parse flags, call a service, map the result to output and an exit code.
        .target(
            name: "WabaformCLI",
            dependencies: [
                "WabaformConfig",
                "WabaformCore",
                "PartnerSandbox",
                argumentParser,
                logging,
            ]
        ),
        // Process-wide settings the executable makes before anything runs (Sources/wabaform):
        // Swift Concurrency's jobs on SwiftNIO's event loops, glibc's mmap threshold.
        .target(name: "CRuntimeSettings"),
        .executableTarget(
            name: "wabaform",
            dependencies: ["WabaformCLI", "CRuntimeSettings", nioCore, nioPosix]
        ),

        // CPU of planning and rendering a large fleet in memory (benchmarks/, docs/performance.md).
        .executableTarget(
            name: "wabaform-bench",
            dependencies: ["WabaformCore", "WabaformConfig", "PartnerAPIRules"]
        ),
        // The benchmark's second reference: plan's reads in a minimal SwiftNIO client, the floor
        // of the tools wabaform is built on (benchmarks/run.sh, docs/performance.md).
        .executableTarget(
            name: "wabaform-bench-nio",
            dependencies: [nioCore, nioPosix, nioHTTP1, .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]
        ),

        .testTarget(
            name: "PartnerSandboxTests",
            dependencies: [
                "WabaformTestSupport",
                "PartnerSandbox",
                "wabaform",
                "PartnerAPIRules",
                asyncHTTPClient,
                nioCore,
                nioHTTP1,
                yams,
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
                "MessagingAPI",
                "WabaformTestSupport",
                "WabaformConfig",
                "PartnerSandbox",
                "PartnerAPIRules",
                asyncHTTPClient,
                crypto,
                logging,
                httpTypes,
                nioCore,
                openAPIRuntime,
            ]
        ),
        .testTarget(
            name: "WabaformCLITests",
            dependencies: [
                "wabaform",
                "wabaform-bench-nio",
                "WabaformTestSupport",
                "PartnerSandbox",
                asyncHTTPClient,
                hummingbird,
            ]
        ),
        .testTarget(
            name: "WabaformConfigTests",
            dependencies: ["WabaformConfig", "PartnerAPIRules", "WabaformTestSupport"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
