/// How to start a sandbox.
public struct SandboxConfiguration: Sendable {
    /// Address to bind; loopback unless the user asks otherwise.
    public var host: String
    /// Port to bind; 0 picks a free one (tests).
    public var port: Int
    /// The state file; nil keeps the state in memory only.
    public var statePath: String?
    /// Where to write the `{channel_id: key}` file; nil = beside the state file
    /// (`sandbox.json` -> `sandbox.keys.json`), or none for an in-memory sandbox.
    public var keysFilePath: String?
    /// The seed for a new state; nil = the built-in demo seed.
    public var seed: SandboxSeed?
    /// Synthetic channels added to a new state.
    public var fleet: Int
    public var faults: FaultSettings
    /// How long a bearer token from /token lives.
    public var tokenLifetime: Duration
    /// Alternative answer shapes of real accounts (`--variant`); empty = the default shapes.
    public var variants: Set<SandboxVariant>
    /// How long a `POST /waba_webhook` waits before it applies (`--waba-webhook-delay`); reads
    /// give the previous value until then. Zero applies at once.
    public var wabaWebhookDelay: Duration = .zero
    /// false: channel pages and channel webhooks are written by the generated server's encoder
    /// instead of `ChannelPageMiddleware` and `WebhookAnswerMiddleware` (tests compare the two).
    var channelPagesByHand = true

    public init(
        host: String = "127.0.0.1", port: Int = 0, statePath: String? = nil, keysFilePath: String? = nil,
        seed: SandboxSeed? = nil, fleet: Int = 0, faults: FaultSettings = .none,
        tokenLifetime: Duration = .seconds(86_400), variants: Set<SandboxVariant> = []
    ) {
        self.host = host
        self.port = port
        self.statePath = statePath
        self.keysFilePath = keysFilePath
        self.seed = seed
        self.fleet = fleet
        self.faults = faults
        self.tokenLifetime = tokenLifetime
        self.variants = variants
    }

    /// The keys file path this configuration implies.
    public var resolvedKeysFilePath: String? {
        if let keysFilePath { return keysFilePath }
        guard let statePath else { return nil }
        let base = statePath.hasSuffix(".json") ? String(statePath.dropLast(5)) : statePath
        return base + ".keys.json"
    }
}
