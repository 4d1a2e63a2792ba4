@testable import ChurnTracking
import Testing

@Suite("MLflow names")
struct ModelURITests {
    @Test("models:/NAME/VERSION parses names with slashes, numbers and 'latest', and nothing else")
    func parse() {
        #expect(ModelURI("models:/churn/3") == ModelURI(name: "churn", version: "3"))
        #expect(ModelURI("models:/team/churn/latest") == ModelURI(name: "team/churn", version: "latest"))
        #expect(ModelURI("models:/churn/0") == nil)
        #expect(ModelURI("models:/churn/") == nil)
        #expect(ModelURI("runs:/abc/model") == nil)
        #expect(ModelURI("models:/3") == nil)
    }

    @Test("artifact URIs map onto the tracking server's artifact proxy, with or without a host")
    func proxyPath() throws {
        #expect(try MLflowClient.proxyPath("mlflow-artifacts:/1/abc/artifacts/model") == "1/abc/artifacts/model")
        #expect(try MLflowClient.proxyPath("mlflow-artifacts://mlflow:5000/1/abc/artifacts") == "1/abc/artifacts")
        #expect(throws: MLflowError.self) { try MLflowClient.proxyPath("s3://bucket/1/abc") }
    }
}
