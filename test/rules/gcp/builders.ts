// Builders shared by the gcp rules' tests.
export const backend = (group: string, extra = "") =>
  `  backend {\n    group = ${group}${extra ? `\n    ${extra}` : ""}\n  }`;

export const GROUP_A = "google_compute_instance_group_manager.a.instance_group";

export function service(
  attrs: string,
  backends: string[] = [backend(GROUP_A)],
  type = "google_compute_backend_service",
) {
  return `resource "${type}" "web" {
  name          = "web"
  health_checks = [google_compute_health_check.web.id]
${attrs}
${backends.join("\n")}
}
`;
}

export function healthCheck(probe: string, attrs = "  check_interval_sec = 5") {
  return `resource "google_compute_health_check" "web" {
  name = "web"
${attrs}
${probe}
}
`;
}

export const httpProbe = (body: string) => `  http_health_check {\n${body}\n  }`;
