// The code of this module is generated at build time by swift-openapi-generator from
// schemas/partner-api.openapi.yaml (see openapi-generator-config.yaml beside this file).
// Edit the OpenAPI document, never generated code: the client and the sandbox both build on it.
