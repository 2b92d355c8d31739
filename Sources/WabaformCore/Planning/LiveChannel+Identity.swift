extension LiveChannel {
    /// The channel as a plan shows it to a reviewer.
    public var identity: ChannelIdentity {
        ChannelIdentity(
            id: id, clientID: clientID ?? "", phoneNumber: phoneNumber ?? "", clientName: clientName ?? "",
            status: status ?? "")
    }
}
