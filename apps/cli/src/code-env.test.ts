import { describe, expect, it } from "vitest";
import { BACKENDS } from "./backends.js";
import { codeAssetBaseEnv } from "./code-env.js";

describe("the environment code assets inherit", () => {
  it("keeps the process's variables but none a secrets backend reads", () => {
    const env = {
      PATH: "/usr/bin",
      HOME: "/home/u",
      LANG: "C.UTF-8",
      BRUIN_SECRETS_BACKEND: "infisical",
      BRUIN_INFISICAL_CLIENT_ID: "id",
      BRUIN_INFISICAL_CLIENT_SECRET: "secret",
      BRUIN_INFISICAL_FUTURE_SETTING: "x",
      BRUIN_VAULT_TOKEN: "hvs.x",
      BRUIN_VAULT_ROLE: "r",
      BRUIN_DOPPLER_TOKEN: "dp.st.x",
      BRUIN_CONNECTION_MY_PG: '{"type":"postgres","details":{}}',
    };
    expect(codeAssetBaseEnv(env)).toEqual({
      PATH: "/usr/bin",
      HOME: "/home/u",
      LANG: "C.UTF-8",
      BRUIN_SECRETS_BACKEND: "infisical",
    });
  });

  it("drops every variable any backend declares", () => {
    const declared = Object.fromEntries(BACKENDS.flatMap((b) => b.variables.map((v) => [v.name, "value"])));
    expect(Object.keys(declared).length).toBeGreaterThan(5);
    expect(codeAssetBaseEnv({ ...declared, KEEP: "1" })).toEqual({ KEEP: "1" });
  });
});
