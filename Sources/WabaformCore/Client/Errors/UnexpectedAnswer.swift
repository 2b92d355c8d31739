/// A 2xx answer the contract does not describe (e.g. 204 where 200 was expected).
struct UnexpectedAnswer: Error {}
