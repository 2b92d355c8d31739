import Yams

extension SandboxSeed {
    /// The built-in demo world used when no seed is given: one partner, three clients and a
    /// dozen channels in mixed states, some with local storage, one whose key the sandbox
    /// does not publish. `examples/quickstart` is written against it.
    public static let demoYAML = """
        # wabaform sandbox seed (docs/sandbox.md). Print it with: wabaform sandbox --print-demo-seed
        partner:
          id: demoPA
          brand_name: Demo Partner
          country: DE
          api_key: sbx_pk_demo_partner_key
          username: ops@demo-partner.example
          password: sbx_demo_password
          webhook_url: https://old-hooks.example.com/360/partner
          partner_redirect_url: https://app.example.com/onboarded
          default_local_storage: null
        clients:
          - { id: acmeCL, name: Acme GmbH }
          - { id: globexCL, name: Globex Ltd }
          - { id: initechCL, name: Initech Inc }
        channels:
          - id: acme01CH
            client: acmeCL
            phone_number: "+49 151 1000 0001"
            phone_name: Acme Support
            waba: { id: acmeWA, name: Acme }
            local_storage: DE
            webhook: { url: "https://hooks.example.com/wa/acme01CH" }
          - id: acme02CH
            client: acmeCL
            phone_number: "+49 151 1000 0002"
            phone_name: Acme Sales
            waba: { id: acmeWA, name: Acme }
            webhook: { url: "https://legacy.example.com/acme-sales" }
          - id: acme03CH
            client: acmeCL
            phone_number: "+49 151 1000 0003"
            phone_name: Acme Billing
            status: pending
            account_mode: sandbox
            availability_status: setting_up
            waba: { id: acmeWA, name: Acme }
          - id: acme04CH
            client: acmeCL
            phone_number: "+49 151 1000 0004"
            phone_name: Acme Marketing
            waba: { id: acmeWA, name: Acme }
            local_storage: IN
            webhook: { url: "https://hooks.example.com/wa/acme04CH" }
            publish_key: false
          - id: globex01CH
            client: globexCL
            phone_number: "+44 7700 900001"
            phone_name: Globex UK
            waba: { id: globexWA, name: Globex }
            local_storage: GB
            webhook: { url: "https://hooks.example.com/wa/globex01CH" }
          - id: globex02CH
            client: globexCL
            phone_number: "+44 7700 900002"
            phone_name: Globex Alerts
            status: pending
            account_mode: sandbox
            availability_status: setting_up
            waba: { id: globexWA, name: Globex }
            local_storage: DE
            webhook: { url: "https://hooks.example.com/wa/globex02CH" }
          - id: globex03CH
            client: globexCL
            phone_number: "+44 7700 900003"
            phone_name: Globex Ops
            waba: { id: globexWA, name: Globex }
            local_storage: DE
          - id: globex04CH
            client: globexCL
            phone_number: "+44 7700 900004"
            phone_name: Globex Trial
            status: pending
            account_mode: sandbox
            availability_status: error
            waba: { id: globexWA, name: Globex }
          - id: initech01CH
            client: initechCL
            phone_number: "+1 555 010 0001"
            phone_name: Initech Main
            waba: { id: initechWA, name: Initech }
            webhook:
              url: "https://hooks.example.com/wa/initech01CH"
              headers: { X-Hook-Secret: sbx-demo-hook-secret }
          - id: initech02CH
            client: initechCL
            phone_number: "+1 555 010 0002"
            phone_name: Initech Support
            waba: { id: initechWA, name: Initech }
            local_storage: DE
            webhook: { url: "https://hooks.example.com/wa/initech02CH" }
          - id: initech03CH
            client: initechCL
            phone_number: "+1 555 010 0003"
            phone_name: Initech Labs
            status: pending
            account_mode: sandbox
            availability_status: error
            waba: { id: initechWA, name: Initech }
          - id: initech04CH
            client: initechCL
            phone_number: "+1 555 010 0004"
            phone_name: Initech Asia
            waba: { id: initechWA, name: Initech }
            local_storage: SG
            webhook: { url: "https://hooks.example.com/wa/initech04CH" }
        """

    /// The built-in demo seed.
    public static func demo() throws -> SandboxSeed {
        do { return try YAMLDecoder().decode(SandboxSeed.self, from: demoYAML) } catch {
            throw SeedError.invalid("built-in demo seed: \(error)")
        }
    }
}
