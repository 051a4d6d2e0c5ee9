package org.govind.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The HTTP underneath both clients: JSON in and out, the Authorization header from an
 * {@link Auth}, bounded retries with a doubling pause, and every refusal turned into an
 * {@link AirflowException} whose message is one line (see {@link ErrorText}).
 *
 * <p>Retries never repeat a write that may have reached the server: a POST is retried only when
 * the connection could not be made or the server said 503 before doing anything, while reads and
 * PATCH (which sets a value, so repeating it is harmless) are also retried after a timeout.
 */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    /** How a request proves who sends it. */
    interface Auth {
        /** The Authorization header value; {@code renew}: the last one was refused as expired. */
        String header(boolean renew);

        /** Whether a 401 may be cured by {@code header(true)} (a bearer token can be renewed, a password cannot). */
        boolean renewable();
    }

    record Response(int status, String body, String contentType) {
        JsonNode json() {
            try {
                return body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new AirflowException(AirflowException.Kind.REJECTED,
                        "Airflow 的回答不是 JSON（HTTP " + status + "）：" + ErrorText.clip(body),
                        "Airflow answered with something that is not JSON (HTTP " + status + "): " + ErrorText.clip(body), status);
            }
        }

        boolean ok() { return status >= 200 && status < 300; }
    }

    final AirflowClient.Options options;
    private final HttpClient client;

    Http(AirflowClient.Options options) {
        this.options = options;
        // HTTP/1.1: on http:// the JDK's default (HTTP/2) sends "Upgrade: h2c", and uvicorn (Airflow 3's
        // server) then drops the request body (uvicorn#2722): every POST would arrive empty
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(options.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    String root() { return options.url(); }

    /** One path segment, percent-encoded: run ids contain {@code +} and {@code :}, which must reach the server unchanged. */
    static String seg(String s) {
        StringBuilder b = new StringBuilder();
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~')
                b.append((char) c);
            else b.append('%').append(String.format("%02X", c & 0xff));
        }
        return b.toString();
    }

    /** A query string from name → values (a name repeated for each value, as both APIs read arrays). */
    static String query(Map<String, List<String>> params) {
        StringBuilder b = new StringBuilder();
        params.forEach((k, vs) -> {
            for (String v : vs) {
                b.append(b.length() == 0 ? '?' : '&').append(seg(k)).append('=').append(seg(v));
            }
        });
        return b.toString();
    }

    /**
     * Sends a request (path below the server root, query included) and returns the answer when it is
     * 2xx; anything else becomes an AirflowException. {@code auth} null: no Authorization header.
     */
    Response call(String method, String path, Object body, Auth auth) {
        Response r = send(method, path, body, auth, false);
        if (r.status() == 401 && auth != null && auth.renewable()) r = send(method, path, body, auth, true);
        if (!r.ok()) throw refusal(r);
        return r;
    }

    JsonNode json(String method, String path, Object body, Auth auth) { return call(method, path, body, auth).json(); }

    /** Sends with the bounded retries; returns whatever status the server finally gave. */
    Response send(String method, String path, Object body, Auth auth, boolean renew) {
        boolean safeToRepeat = !"POST".equals(method);
        Duration pause = options.retryPause();
        String lastProblem = null;
        for (int attempt = 0; ; attempt++) {
            boolean last = attempt >= options.retries();
            try {
                HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(root() + path))
                        .timeout(options.requestTimeout()).header("Accept", "application/json");
                if (auth != null) rb.header("Authorization", auth.header(renew && attempt == 0));
                if (body == null) rb.method(method, HttpRequest.BodyPublishers.noBody());
                else rb.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
                HttpResponse<String> hr = client.send(rb.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                Response r = new Response(hr.statusCode(), hr.body(), hr.headers().firstValue("Content-Type").orElse(""));
                boolean busy = r.status() == 503 || (safeToRepeat && (r.status() == 502 || r.status() == 504));
                if (!busy) return r;
                lastProblem = "HTTP " + r.status() + " " + ErrorText.of(r);
                if (last) throw unreachable(method, path, lastProblem);
            } catch (HttpConnectTimeoutException | ConnectException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
                if (last) throw unreachable(method, path, lastProblem);
            } catch (HttpTimeoutException e) {
                lastProblem = "no answer within " + options.requestTimeout().toMillis() + " ms";
                if (last || !safeToRepeat) throw unreachable(method, path, lastProblem);
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
                if (last || !safeToRepeat) throw unreachable(method, path, lastProblem);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unreachable(method, path, "interrupted");
            }
            sleep(pause);
            pause = pause.multipliedBy(2);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(0, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AirflowException(AirflowException.Kind.UNREACHABLE, "等待被中断", "interrupted while waiting");
        }
    }

    private AirflowException unreachable(String method, String path, String why) {
        int tries = options.retries() + 1;
        return new AirflowException(AirflowException.Kind.UNREACHABLE,
                "Airflow 服务器 " + root() + " 无法访问或太慢（" + method + " " + path + "，最多试 " + tries + " 次）：" + why
                        + "。请确认服务器在运行、--url 正确，或稍后再试",
                "the Airflow server " + root() + " is down or too slow (" + method + " " + path + ", up to " + tries + " tries): " + why
                        + ". Check that it runs and that --url is right, or try again later");
    }

    /** A non-2xx answer as an exception: 401/403 credentials, 404 missing, 409 exists, else refused. */
    AirflowException refusal(Response r) {
        String said = ErrorText.of(r);
        switch (r.status()) {
            case 401:
                return new AirflowException(AirflowException.Kind.AUTH,
                        "Airflow 不接受用户 " + options.user() + " 的用户名或密码（HTTP 401：" + said + "）。请检查 --user 和 --password / --password-file / AIRFLOW_PASSWORD",
                        "Airflow refused the user name or password of " + options.user() + " (HTTP 401: " + said + "). Check --user and --password / --password-file / AIRFLOW_PASSWORD", 401);
            case 403:
                return new AirflowException(AirflowException.Kind.AUTH,
                        "Airflow 不允许用户 " + options.user() + " 执行此操作（HTTP 403：" + said + "）。请让 Airflow 管理员授予该用户相应权限",
                        "Airflow does not allow user " + options.user() + " to do this (HTTP 403: " + said + "). Ask the Airflow admin for the permission", 403);
            case 404:
                return new AirflowException(AirflowException.Kind.NOT_FOUND, "Airflow 上不存在（HTTP 404）：" + said,
                        "not found on Airflow (HTTP 404): " + said, 404);
            case 409:
                return new AirflowException(AirflowException.Kind.CONFLICT, "Airflow 上已存在（HTTP 409）：" + said,
                        "already exists on Airflow (HTTP 409): " + said, 409);
            default:
                return new AirflowException(AirflowException.Kind.REJECTED, "Airflow 拒绝了请求（HTTP " + r.status() + "）：" + said,
                        "Airflow refused the request (HTTP " + r.status() + "): " + said, r.status());
        }
    }
}
