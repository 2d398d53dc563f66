// Copy the installed front-end build files into server/static/vendor/ (served at /static/vendor/):
// the SPARQL editor (@zazuko/yasgui) for the query page, Swagger UI (swagger-ui-dist) for /docs.
// `--check` only compares them and exits 1 when they differ.
// Refresh: npm ci --prefix ui && npm run --prefix ui vendor
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "..", "server", "static", "vendor");
const packages = [
  { name: "@zazuko/yasgui", build: "build", files: ["yasgui.min.js", "yasgui.min.css"], out: "yasgui" },
  { name: "swagger-ui-dist", build: "", files: ["swagger-ui-bundle.js", "swagger-ui.css"], out: "swagger-ui" },
];
const check = process.argv.includes("--check");
const stale = [];
for (const p of packages) {
  const pkgDir = join(here, "node_modules", ...p.name.split("/"));
  const outDir = join(vendor, p.out);
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const version = `${pkg.name}@${pkg.version} (${pkg.license})\n`;
  for (const name of p.files) {
    const src = readFileSync(join(pkgDir, p.build, name));
    const dest = join(outDir, name);
    if (check) {
      if (!existsSync(dest) || !readFileSync(dest).equals(src)) stale.push(`${p.out}/${name}`);
    } else {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(dest, src);
    }
  }
  const versionFile = join(outDir, "VERSION");
  if (check) {
    if (!existsSync(versionFile) || readFileSync(versionFile, "utf8") !== version) stale.push(`${p.out}/VERSION`);
  } else {
    writeFileSync(versionFile, version);
    console.log(`vendored ${version.trim()} into ${outDir}`);
  }
}
if (check) {
  if (stale.length) {
    console.error(`vendored files differ from the installed packages: ${stale.join(", ")}; run: npm run --prefix ui vendor`);
    process.exit(1);
  }
  console.log("vendored files match the installed packages");
}
