// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "tailwart",
  products: [
    .executable(name: "tailwart", targets: ["tailwart"]),
    .library(name: "TailwartCore", targets: ["TailwartCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
  ],
  targets: [
    // System libyaml (Debian: libyaml-dev).
    .systemLibrary(
      name: "CYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"])]
    ),
    // System libcmark-gfm and its extensions library (Debian: libcmark-gfm-dev,
    // libcmark-gfm-extensions-dev).
    .systemLibrary(
      name: "CCmarkGFM",
      pkgConfig: "libcmark-gfm",
      providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
    ),
    // Turns templates/ and site/assets/ into Swift string constants, so the
    // binary carries everything it renders with and runs from anywhere.
    .executableTarget(name: "embed-files"),
    .plugin(
      name: "EmbedFiles",
      capability: .buildTool(),
      dependencies: ["embed-files"]
    ),
    .target(
      name: "TailwartCore",
      dependencies: [
        "CYAML",
        "CCmarkGFM",
        .product(name: "Mustache", package: "swift-mustache"),
      ],
      plugins: ["EmbedFiles"]
    ),
    .executableTarget(
      name: "tailwart",
      dependencies: [
        "TailwartCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(
      name: "TailwartCoreTests", dependencies: ["TailwartCore"],
      // Golden inputs and expected outputs, documents the site tests build,
      // and data from other projects (Data/README.md), read by path.
      exclude: ["Render/Golden", "Site/Documents", "Data", "Deploy/Fixtures", "Deploy/StandIn", "Policy/Fixtures"]
    ),
    // End-to-end tests run the built `tailwart` binary (the dependency makes
    // `swift test` build it first).
    .testTarget(name: "tailwartTests", dependencies: ["TailwartCore", "tailwart"]),
  ],
  swiftLanguageModes: [.v6]
)
