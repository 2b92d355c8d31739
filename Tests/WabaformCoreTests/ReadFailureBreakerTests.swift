import Testing
@testable import WabaformCore

/// When failed channel reads stop being one channel's bad luck and mean the API is failing.
@Suite("Read failure breaker")
struct ReadFailureBreakerTests {
    struct Failure: Error, CustomStringConvertible { var description = "503 Service unavailable" }

    @Test("five failed reads in a row stop the run; a success in between resets the count")
    func inARow() async {
        let breaker = ReadFailureBreaker(total: 1_000)
        for _ in 0..<4 { #expect(await breaker.failed(Failure()) == nil) }
        await breaker.succeeded()
        for _ in 0..<4 { #expect(await breaker.failed(Failure()) == nil) }
        let stop = await breaker.failed(Failure())
        #expect(
            stop.map { "\($0)" }
                == "9 reads failed, the last 5 in a row, so wabaform stopped reading (the API seems to be failing): 503 Service unavailable"
        )
    }

    @Test("more than a tenth of the reads (at least 10) failing stops the run", arguments: [(50, 10), (200, 20), (1_000, 100)])
    func budget(total: Int, tolerated: Int) async {
        let breaker = ReadFailureBreaker(total: total)
        for _ in 0..<tolerated {
            #expect(await breaker.failed(Failure()) == nil)
            await breaker.succeeded()
        }
        let stop = await breaker.failed(Failure())
        #expect(
            stop.map { "\($0)" }
                == "\(tolerated + 1) reads failed, so wabaform stopped reading (the API seems to be failing): 503 Service unavailable")
    }
}
