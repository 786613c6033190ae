// Copy the front-end packages installed by npm into Django's static files.
// The copies live in cityhall/web/static/vendor/, which git ignores.
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "cityhall", "web", "static", "vendor");
const files = {
  "@digital-go-jp/design-tokens/dist/tokens.css": "design-tokens/tokens.css",
  "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
  "chart.js/dist/chart.umd.min.js": "chart.js/chart.umd.min.js",
  "axe-core/axe.min.js": "axe-core/axe.min.js",
};
for (const [from, to] of Object.entries(files)) {
  const target = join(vendor, to);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(root, "node_modules", from), target);
}
