package org.govind.airflow;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.govind.airflow.stub.StubAirflow;

/** Hand-made requests to the stand-in, to check that it refuses what Airflow refuses. */
final class Raw {
    record Reply(int status, String body, String contentType) {
        Http.Response asResponse() { return new Http.Response(status, body, contentType); }
    }

    private Raw() {}

    /** The stand-in's own credentials in its mode's form (basic for v1, a fresh bearer token for v2). */
    static String auth(StubAirflow stub) throws Exception {
        Reply probe = get(stub, "/api/v2/version", null);
        return probe.status() == 200 ? token(stub)
                : "Basic " + Base64.getEncoder().encodeToString((StubAirflow.USER + ":" + StubAirflow.PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    static String token(StubAirflow stub) throws Exception {
        Reply r = post(stub, "/auth/token", "{\"username\":\"" + StubAirflow.USER + "\",\"password\":\"" + StubAirflow.PASSWORD + "\"}", null);
        return "Bearer " + Http.JSON.readTree(r.body()).get("access_token").asText();
    }

    static Reply post(StubAirflow stub, String path, String json) throws Exception { return post(stub, path, json, auth(stub)); }

    static Reply post(StubAirflow stub, String path, String json, String authz) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stub.url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (authz != null) b.header("Authorization", authz);
        return send(b.build());
    }

    static Reply get(StubAirflow stub, String path, String authz) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stub.url() + path)).GET();
        if (authz != null) b.header("Authorization", authz);
        return send(b.build());
    }

    private static Reply send(HttpRequest r) throws Exception {
        HttpResponse<String> resp = HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
        return new Reply(resp.statusCode(), resp.body(), resp.headers().firstValue("Content-Type").orElse(""));
    }
}
