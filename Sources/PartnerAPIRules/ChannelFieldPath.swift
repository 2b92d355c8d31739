/// Dotted channel field paths that `filters` (the API) and `select` maps (the config)
/// accept, from the Partner API's channel documentation [doc] plus the fields the channel
/// object carries [code].
public enum ChannelFieldPath {
    public static let all: [String] = [
        "account_mode",
        "availability_status",
        "client.id",
        "client.name",
        "client_id",
        "created_at",
        "id",
        "modified_at",
        "project.id",
        "project.name",
        "setup_info.phone_name",
        "setup_info.phone_number",
        "status",
        "waba_account.external_id",
        "waba_account.id",
        "waba_account.name",
    ]

    public static func isKnown(_ path: String) -> Bool { all.contains(path) }
}
