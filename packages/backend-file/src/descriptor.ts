import type { BackendDescriptor } from "@bruin-ts/secrets-core";

/** The file backend: its id, what it reads, and its variables. Loads none of the backend's code. */
export const fileBackendDescriptor: BackendDescriptor = {
  id: "file",
  description: "connections from .bruin.yml (the default)",
  variables: [
    {
      name: "BRUIN_CONFIG_FILE",
      required: false,
      description:
        "path of the config file (default: the nearest .bruin.yml up from the pipeline, up to the repository root)",
    },
  ],
};
