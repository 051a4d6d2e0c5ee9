package org.govind.airflow;

/**
 * {@code --api auto}: asks the server which API it speaks. Both version endpoints need no login:
 * Airflow 3 answers {@code GET /api/v2/version}, Airflow 2 answers {@code GET /api/v1/version}
 * (and has no /api/v2). Airflow 3 is asked first, so a server that kept /api/v1 behind a proxy
 * still gets the newer API.
 */
final class Detect {
    private Detect() {}

    static ApiVersion version(Http http) {
        Http.Response v2 = http.send("GET", ApiVersion.V2.prefix() + "/version", null, null, false);
        if (v2.ok() && v2.json().has("version")) return ApiVersion.V2;
        Http.Response v1 = http.send("GET", ApiVersion.V1.prefix() + "/version", null, null, false);
        if (v1.ok() && v1.json().has("version")) return ApiVersion.V1;
        if (v1.status() == 401 || v1.status() == 403) return ApiVersion.V1;  // an Airflow 2 that guards even /version
        throw new AirflowException(AirflowException.Kind.REJECTED,
                "在 " + http.root() + " 找不到 Airflow 的 REST API（/api/v2/version 回答 HTTP " + v2.status() + "，/api/v1/version 回答 HTTP "
                        + v1.status() + "）。--url 应是服务器根地址，如 http://airflow:8080；也可用 --api v1|v2 指定",
                "no Airflow REST API at " + http.root() + " (/api/v2/version answered HTTP " + v2.status() + ", /api/v1/version HTTP "
                        + v1.status() + "). --url is the server root such as http://airflow:8080; or say --api v1|v2", v1.status());
    }
}
