/// The version `wabaform --version` prints and saved plans record.
///
/// The string below is its only source. A build of a checkout says it as it is; a release build
/// (scripts/release.sh, the Dockerfile) compiles a copy of the sources in which
/// `scripts/version.sh --stamp VERSION` has replaced it with the version of the release tag, so
/// the tracked file never changes.
enum WabaformVersion {
    static let current = "0.1.0-dev"
}
