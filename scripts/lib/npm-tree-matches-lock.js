// Exit 0 when DIR/node_modules holds exactly what DIR/package-lock.json pins, else 1 (scripts/test then
// runs `npm ci` there). npm records what it installed in node_modules/.package-lock.json: every entry
// must equal the lock file's, and a package the lock lists but npm left out must be an optional one
// (another platform's esbuild binary). A clean clone has no node_modules, so CI always installs.
//   node scripts/lib/npm-tree-matches-lock.js DIR
const fs = require("fs");
const path = require("path");

function packages(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")).packages;
  } catch {
    return null;
  }
}

const dir = process.argv[2];
const locked = packages(path.join(dir, "package-lock.json"));
const installed = packages(path.join(dir, "node_modules", ".package-lock.json"));
if (!locked || !installed) process.exit(1);
delete locked[""];   // the project itself, not an installed package
const same = Object.keys(installed).every((name) => JSON.stringify(installed[name]) === JSON.stringify(locked[name]))
  && Object.keys(locked).every((name) => name in installed || locked[name].optional === true);
process.exit(same ? 0 : 1);
