// Copy the installed @zazuko/yasgui build files into server/static/vendor/yasgui/ (served at
// /static/vendor/yasgui/); `--check` only compares them and exits 1 when they differ.
// Refresh: npm ci --prefix ui && npm run --prefix ui vendor
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, "node_modules", "@zazuko", "yasgui");
const outDir = join(here, "..", "server", "static", "vendor", "yasgui");
const files = ["yasgui.min.js", "yasgui.min.css"];
const check = process.argv.includes("--check");

const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
const version = `${pkg.name}@${pkg.version} (${pkg.license})\n`;
let stale = [];
for (const name of files) {
  const src = readFileSync(join(pkgDir, "build", name));
  const dest = join(outDir, name);
  if (check) {
    if (!existsSync(dest) || !readFileSync(dest).equals(src)) stale.push(name);
  } else {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(dest, src);
  }
}
const versionFile = join(outDir, "VERSION");
if (check) {
  if (!existsSync(versionFile) || readFileSync(versionFile, "utf8") !== version) stale.push("VERSION");
  if (stale.length) {
    console.error(`vendored files differ from ${version.trim()}: ${stale.join(", ")}; run: npm run --prefix ui vendor`);
    process.exit(1);
  }
  console.log(`vendored files match ${version.trim()}`);
} else {
  writeFileSync(versionFile, version);
  console.log(`vendored ${version.trim()} into ${outDir}`);
}
