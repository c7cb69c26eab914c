import { describe, expect, it } from "vitest";
import { bigQueryOptions, serviceAccountCredentials } from "./bigquery-config.js";

const KEY = {
  type: "service_account",
  client_email: "runner@proj.iam.gserviceaccount.com",
  private_key: "-----BEGIN PRIVATE KEY-----\nSECRETKEYBODY\n-----END PRIVATE KEY-----\n",
};

describe("bigQueryOptions", () => {
  it("reads a key file through keyFilename", () => {
    expect(bigQueryOptions({ project_id: "proj", service_account_file: "/keys/sa.json", location: "EU" })).toEqual({
      projectId: "proj",
      userAgent: "bruin",
      location: "EU",
      keyFilename: "/keys/sa.json",
    });
  });

  it("parses service account JSON text (or takes an object) as credentials", () => {
    expect(bigQueryOptions({ project_id: "proj", service_account_json: JSON.stringify(KEY) }).credentials).toEqual(KEY);
    expect(bigQueryOptions({ project_id: "proj", service_account_json: KEY }).credentials).toEqual(KEY);
  });

  it("uses application default credentials when asked to, or when no credentials are given", () => {
    const adc = bigQueryOptions({
      project_id: "proj",
      service_account_file: "/keys/sa.json",
      use_application_default_credentials: true,
    });
    expect(adc).toEqual({ projectId: "proj", userAgent: "bruin" });
    expect(bigQueryOptions({ project_id: "proj" })).toEqual({ projectId: "proj", userAgent: "bruin" });
  });

  it("sends requests to another endpoint when api_endpoint is given", () => {
    expect(bigQueryOptions({ project_id: "p", api_endpoint: "http://localhost:9050" }).apiEndpoint).toBe(
      "http://localhost:9050",
    );
  });
});

describe("serviceAccountCredentials", () => {
  it("reports JSON that does not parse by position, never quoting it", () => {
    const broken = `{"type": "service_account", "private_key": "SECRETKEYBODY" "client_email": "x"}`;
    let message = "";
    try {
      serviceAccountCredentials(broken);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^service_account_json is not valid JSON \(error at character \d+\)$/);
    expect(message).not.toContain("SECRETKEYBODY");
    expect(message).not.toContain('service_account"');
  });

  it("refuses JSON that is not a service account key, naming the missing fields", () => {
    expect(() => serviceAccountCredentials("[1, 2]")).toThrow(
      "service_account_json must be a JSON object (a service account key)",
    );
    expect(() => serviceAccountCredentials({ type: "service_account", private_key: "k" })).toThrow(
      "service_account_json has no 'client_email': is it a service account key?",
    );
    expect(serviceAccountCredentials({ type: "authorized_user", refresh_token: "r" })).toEqual({
      type: "authorized_user",
      refresh_token: "r",
    });
  });
});
