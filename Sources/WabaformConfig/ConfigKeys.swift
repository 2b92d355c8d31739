/// The keys the decoder knows, per mapping. Public so a test can keep
/// `schemas/wabaform.schema.json` in step with the decoder.
public enum ConfigKeys {
    /// The one config format version this build reads.
    public static let supportedVersion = 1

    public static let topLevel = ["version", "partner", "channels", "wabas"]
    public static let partner = ["id", "webhook_url", "redirect_url", "default_local_storage"]
    /// The keys of one `channels` entry: the selectors, then the managed attributes.
    public static let channelRule = ["id", "phone_number", "select", "webhook", "local_storage"]
    public static let selectors = ["id", "phone_number", "select"]
    public static let webhook = ["url", "headers"]
    /// The keys of one `wabas` entry, of its `webhook`, and of its `select` map.
    public static let wabaRule = ["id", "select", "webhook"]
    public static let wabaWebhook = ["url", "headers", "override_all"]
    public static let wabaSelect = ["name"]
}
