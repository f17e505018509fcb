#!/usr/bin/env bash
# Installs a sealed StellaOps air-gap kit on the machine that runs `pulumi up`, verifies it against the kit's
# manifest.json (written by `npm run airgap:manifest -- --stack <name> --kit <dir>` on the connected machine),
# reports what is missing, and prints the environment for offline use. It never contacts another host: plugins
# come from the kit's files, images are loaded into the local Docker engine, nothing is downloaded.
set -euo pipefail

PROG="$(basename "$0")"
SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"

usage() {
  cat <<EOF
Usage: $PROG [options] <kit-dir>

Installs and verifies a StellaOps air-gap kit on a sealed machine, offline.

  - Pulumi CLI: checks the one on PATH is the pinned version, or unpacks the kit's CLI archive
    into \$PULUMI_HOME/cli/v<version> when there is none.
  - Provider plugins: verifies each archive's sha256 against manifest.json, then runs
    'pulumi plugin install resource <name> <version> --file <archive>' (skips ones already installed).
  - Container images: keeps the ones the local Docker engine already has; otherwise verifies the
    archive's sha256 and runs 'docker load'.
  - Helm charts, npm lockfile and npm cache: verifies checksums and presence.
  - Prints an environment file (PULUMI_SKIP_UPDATE_CHECK, no automatic plugin acquisition, a file:// or
    s3:// state backend, the passphrase secrets provider, npm offline) to source before 'pulumi up'.

Options:
  --backend URL           state backend: file:///path (default: file://\$HOME/.pulumi-state) or
                          's3://bucket?endpoint=https://host:port&s3ForcePathStyle=true&region=us-east-1'
  --passphrase-file PATH  file holding the stack passphrase (default: \$HOME/.stellaops-passphrase)
  --project DIR           the stellaops-infra checkout (default: $SCRIPT_DIR/..)
  --env-file PATH         write the environment to PATH (default: print it on stdout)
  --skip-images           do not check or load container images (machine without a Docker engine)
  --check-only            verify and report only: install, unpack and load nothing
  -h, --help              show this help

The report goes to stderr. Exit status: 0 when everything is present and verified, 1 when something is
missing or does not match the manifest (each item is listed), 2 on a usage error.
EOF
}

die_usage() {
  echo "$PROG: $1" >&2
  echo "Try '$PROG --help'." >&2
  exit 2
}

backend=""
passphrase_file="${HOME}/.stellaops-passphrase"
project_dir="$SCRIPT_DIR/.."
env_file=""
skip_images=false
check_only=false
kit_dir=""

while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --backend)
      [ $# -ge 2 ] || die_usage "--backend needs a URL"
      backend="$2"
      shift 2
      ;;
    --passphrase-file)
      [ $# -ge 2 ] || die_usage "--passphrase-file needs a path"
      passphrase_file="$2"
      shift 2
      ;;
    --project)
      [ $# -ge 2 ] || die_usage "--project needs a directory"
      project_dir="$2"
      shift 2
      ;;
    --env-file)
      [ $# -ge 2 ] || die_usage "--env-file needs a path"
      env_file="$2"
      shift 2
      ;;
    --skip-images)
      skip_images=true
      shift
      ;;
    --check-only)
      check_only=true
      shift
      ;;
    -*) die_usage "unknown option: $1" ;;
    *)
      [ -z "$kit_dir" ] || die_usage "only one kit directory, got '$kit_dir' and '$1'"
      kit_dir="$1"
      shift
      ;;
  esac
done

[ -n "$kit_dir" ] || die_usage "missing <kit-dir>"
[ -d "$kit_dir" ] || die_usage "kit directory not found: $kit_dir"
kit_dir="$(cd "$kit_dir" && pwd)"
[ -d "$project_dir" ] || die_usage "project directory not found: $project_dir"
project_dir="$(cd "$project_dir" && pwd)"
manifest="$kit_dir/manifest.json"
[ -f "$manifest" ] || die_usage "no manifest.json in $kit_dir (seal the kit with: npm run airgap:manifest -- --stack <name> --kit <dir>)"

backend="${backend:-file://${HOME}/.pulumi-state}"
case "$backend" in
  file://?*) ;;
  s3://?*) ;;
  *) die_usage "--backend must be file:///path or s3://bucket?…: this kit never uses Pulumi Cloud or any other https:// backend" ;;
esac

# Everything this script runs stays offline, and so does everything run from the environment it prints.
export PULUMI_HOME="${PULUMI_HOME:-${HOME}/.pulumi}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true

problems=()
report() { printf '  %-10s %s\n' "$1" "$2" >&2; }
problem() {
  problems+=("$1")
  report "$2" "$1"
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# verify <kit-relative file> <expected sha256> <what>: 0 when present and matching; reports otherwise.
verify() {
  local path="$kit_dir/$1" actual
  if [ ! -f "$path" ]; then
    problem "$3: $1 is not in the kit" MISSING
    return 1
  fi
  actual="$(sha256_of "$path")"
  if [ "$actual" != "$2" ]; then
    problem "$3: checksum mismatch for $1 (sha256 $actual, manifest.json says $2)" MISMATCH
    return 1
  fi
  return 0
}

command -v node >/dev/null 2>&1 || {
  echo "$PROG: node is required (the Pulumi program runs on Node.js) and is used to read manifest.json" >&2
  exit 1
}

# manifest.json → one tab-separated line per item, every field validated (nothing from the file reaches a
# shell command unchecked).
items="$(mktemp)"
trap 'rm -f "$items"' EXIT
if ! node - "$manifest" >"$items" <<'JS'; then
const fs = require("fs");
const m = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const fail = (msg) => { process.stderr.write(`manifest.json: ${msg}\n`); process.exit(3); };
if (m.format !== "stellaops-airgap-manifest/v1") fail(`unknown format ${JSON.stringify(m.format)}`);
const checks = {
  name: /^[a-z0-9][a-z0-9-]*$/,
  version: /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/,
  file: /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._\/@+-]+$/,
  sha256: /^[a-f0-9]{64}$/,
  reference: /^[a-z0-9][a-z0-9._\/:@-]*$/,
  word: /^[A-Za-z0-9._\/:@+-]+$/,
};
const field = (kind, value, what) => {
  if (typeof value !== "string" || !checks[kind].test(value)) fail(`invalid ${what}: ${JSON.stringify(value)}`);
  return value;
};
const sealed = (item, what) => {
  if (item.sha256 === undefined) fail(`${what} has no sha256: the kit was not sealed (npm run airgap:manifest -- --stack <name> --kit <dir>)`);
  return field("sha256", item.sha256, `${what} sha256`);
};
const out = [];
out.push(["meta", field("word", m.stack, "stack"), field("word", m.platform, "platform")]);
const cli = m.pulumiCli;
out.push(["cli", field("version", cli.version, "CLI version"), field("file", cli.file, "CLI file"), sealed(cli, "Pulumi CLI")]);
for (const p of m.plugins) {
  const what = `plugin ${p.name}`;
  out.push(["plugin", field("name", p.name, "plugin name"), field("version", p.version, `${what} version`), field("file", p.file, `${what} file`), sealed(p, what)]);
}
for (const i of m.images) {
  const what = `image ${i.reference}`;
  out.push(["image", field("reference", i.reference, "image reference"), field("reference", i.repository, `${what} repository`), field("file", i.file, `${what} file`), sealed(i, what)]);
}
for (const c of m.charts) {
  const what = `chart ${c.name}`;
  if (c.source === "file") out.push(["chart-file", field("name", c.name, "chart name"), field("file", c.path, `${what} path`), field("sha256", c.sha256, `${what} sha256`)]);
  else if (c.source === "oci") out.push(["chart-oci", field("name", c.name, "chart name"), field("version", c.version, `${what} version`), field("file", c.file, `${what} file`), sealed(c, what), field("reference", c.chart.replace(/^oci:\/\//, ""), `${what} reference`)]);
  else fail(`${what} has source ${JSON.stringify(c.source)}: only file and oci charts can be installed offline`);
}
out.push(["npm", field("file", m.npm.lockfile, "lockfile"), field("sha256", m.npm.sha256, "lockfile sha256"), field("file", m.npm.cache, "npm cache")]);
process.stdout.write(out.map((l) => l.join("\t")).join("\n") + "\n");
JS
  echo "$PROG: cannot use $manifest (see above)" >&2
  exit 1
fi

meta="$(grep '^meta' "$items")"
stack="$(cut -f2 <<<"$meta")"
platform="$(cut -f3 <<<"$meta")"
echo "StellaOps air-gap kit $kit_dir (stack $stack, $platform); PULUMI_HOME=$PULUMI_HOME" >&2
if $check_only; then echo "  (check only: nothing is installed or loaded)" >&2; fi

# --- Pulumi CLI ---------------------------------------------------------------------------------------
cli_path_dir=""
pulumi_bin=""
IFS=$'\t' read -r _ cli_version cli_file cli_sha <<<"$(grep '^cli' "$items")"
if command -v pulumi >/dev/null 2>&1; then
  pulumi_bin="$(command -v pulumi)"
  found_version="$(pulumi version </dev/null 2>/dev/null | tr -d 'v[:space:]' || true)"
  if [ "$found_version" = "$cli_version" ]; then
    report ok "Pulumi CLI $cli_version ($pulumi_bin)"
  else
    problem "Pulumi CLI: $pulumi_bin is version ${found_version:-unknown}, the project pins $cli_version (Pulumi.version); put the kit's $cli_file first on PATH" MISMATCH
  fi
elif verify "$cli_file" "$cli_sha" "Pulumi CLI $cli_version"; then
  cli_path_dir="$PULUMI_HOME/cli/v$cli_version/pulumi"
  if $check_only; then
    report ok "Pulumi CLI $cli_version archive verified (not unpacked: --check-only)"
  else
    mkdir -p "$PULUMI_HOME/cli/v$cli_version"
    tar -xzf "$kit_dir/$cli_file" -C "$PULUMI_HOME/cli/v$cli_version"
    if [ -x "$cli_path_dir/pulumi" ]; then
      pulumi_bin="$cli_path_dir/pulumi"
      report unpacked "Pulumi CLI $cli_version into $cli_path_dir"
    else
      problem "Pulumi CLI: $cli_file has no pulumi/pulumi binary" MISMATCH
    fi
  fi
fi

# --- Provider plugins -----------------------------------------------------------------------------------
while IFS=$'\t' read -r _ name version file sha; do
  what="plugin $name $version"
  verify "$file" "$sha" "$what" || continue
  if [ -d "$PULUMI_HOME/plugins/resource-$name-v$version" ]; then
    report ok "$what (already installed)"
  elif $check_only; then
    report ok "$what archive verified (not installed: --check-only)"
  elif [ -z "$pulumi_bin" ]; then
    problem "$what: no Pulumi CLI to install it with" MISSING
  elif "$pulumi_bin" plugin install resource "$name" "$version" --file "$kit_dir/$file" </dev/null >&2; then
    report installed "$what"
  else
    problem "$what: 'pulumi plugin install' failed" FAILED
  fi
done < <(grep '^plugin' "$items")

# --- Container images -----------------------------------------------------------------------------------
if grep -q '^image' "$items"; then
  if $skip_images; then
    report skipped "container images (--skip-images): push the kit's images/ archives to the mirror"
  elif ! command -v docker >/dev/null 2>&1; then
    problem "container images: no docker CLI on this machine (use --skip-images and push images/ to the mirror)" MISSING
  else
    while IFS=$'\t' read -r _ reference repository file sha; do
      if docker image inspect "$reference" </dev/null >/dev/null 2>&1; then
        report ok "image $reference"
        continue
      fi
      verify "$file" "$sha" "image $reference" || continue
      if $check_only; then
        report ok "image $reference archive verified (not loaded: --check-only)"
        continue
      fi
      if ! docker load --input "$kit_dir/$file" </dev/null >&2; then
        problem "image $reference: 'docker load' failed for $file" FAILED
        continue
      fi
      if docker image inspect "$reference" </dev/null >/dev/null 2>&1; then
        report loaded "image $reference"
      else
        problem "image $reference: loaded $file but the engine does not know it by this reference (its image store may drop registry digests); push it to the mirror and pull it from there: skopeo copy --all --preserve-digests oci-archive:$kit_dir/$file docker://$repository" MISSING
      fi
    done < <(grep '^image' "$items")
  fi
fi

# --- Helm charts ----------------------------------------------------------------------------------------
while IFS=$'\t' read -r kind name a b c d; do
  case "$kind" in
    chart-file)
      # a = path in the project, b = sha256 of the archive
      if [ ! -e "$project_dir/$a" ]; then
        problem "chart $name: vendored $a is not in the project $project_dir" MISSING
      elif [ -d "$project_dir/$a" ]; then
        report ok "chart $name ($a, a directory: compare it with the kit's manifest by hand)"
      elif [ "$(sha256_of "$project_dir/$a")" != "$b" ]; then
        problem "chart $name: checksum mismatch for $a (manifest.json says $b)" MISMATCH
      else
        report ok "chart $name ($a)"
      fi
      ;;
    chart-oci)
      # a = version, b = kit file, c = sha256, d = reference without oci://
      if verify "$b" "$c" "chart $name $a"; then
        report ok "chart $name $a ($b; push it to the mirror: helm push $kit_dir/$b oci://${d%/*})"
      fi
      ;;
  esac
done < <(grep '^chart' "$items")

# --- npm ------------------------------------------------------------------------------------------------
IFS=$'\t' read -r _ lockfile lock_sha npm_cache <<<"$(grep '^npm' "$items")"
if [ ! -f "$project_dir/$lockfile" ]; then
  problem "npm: $lockfile is not in the project $project_dir" MISSING
elif [ "$(sha256_of "$project_dir/$lockfile")" != "$lock_sha" ]; then
  problem "npm: $project_dir/$lockfile differs from the one the kit was built from (sha256 $lock_sha)" MISMATCH
else
  report ok "npm lockfile $lockfile"
fi
if [ -d "$kit_dir/$npm_cache" ]; then
  report ok "npm cache $npm_cache/ (install with: npm ci --offline)"
else
  problem "npm: cache directory $npm_cache/ is not in the kit" MISSING
fi

# --- State backend and secrets ----------------------------------------------------------------------------
case "$backend" in
  file://*)
    state_dir="${backend#file://}"
    if [ -d "$state_dir" ]; then
      report ok "state backend $backend"
    elif $check_only; then
      problem "state backend: directory $state_dir does not exist" MISSING
    else
      mkdir -p "$state_dir"
      chmod 700 "$state_dir"
      report created "state backend directory $state_dir"
    fi
    ;;
  s3://*)
    report note "state backend $backend: the bucket must exist; export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY before 'pulumi login' (see docs/airgap.md)"
    ;;
esac
if [ -f "$passphrase_file" ]; then
  report ok "passphrase file $passphrase_file"
else
  problem "secrets: passphrase file $passphrase_file does not exist (create it, mode 600, and keep a copy off this machine)" MISSING
fi

# --- Environment ------------------------------------------------------------------------------------------
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
write_env() {
  echo "# StellaOps air-gapped Pulumi environment for stack $stack, from $manifest"
  echo "# Generated by scripts/airgap-install.sh. Source it before any pulumi or npm command:  . <this file>"
  echo "export PULUMI_HOME=$(quote "$PULUMI_HOME")"
  echo "export PULUMI_SKIP_UPDATE_CHECK=true"
  echo "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true"
  echo "export PULUMI_BACKEND_URL=$(quote "$backend")"
  echo "export PULUMI_CONFIG_PASSPHRASE_FILE=$(quote "$passphrase_file")"
  echo "unset PULUMI_ACCESS_TOKEN"
  if [ -n "$cli_path_dir" ]; then echo "export PATH=$(quote "$cli_path_dir"):\"\$PATH\""; fi
  echo "export npm_config_cache=$(quote "$kit_dir/$npm_cache")"
  echo "export npm_config_offline=true"
  echo "export npm_config_audit=false"
  echo "export npm_config_fund=false"
  echo "export npm_config_update_notifier=false"
  case "$backend" in
    s3://*)
      echo "# S3-compatible state (RustFS): credentials are not written here; export them in the shell:"
      echo "#   export AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=…"
      echo "export AWS_REGION=$(quote "${AWS_REGION:-us-east-1}")"
      echo "# Send/validate S3 checksums only when required: some S3-compatible servers reject the newer ones."
      echo "export AWS_REQUEST_CHECKSUM_CALCULATION=when_required"
      echo "export AWS_RESPONSE_CHECKSUM_VALIDATION=when_required"
      ;;
  esac
}
if [ -n "$env_file" ]; then
  write_env >"$env_file"
  echo "environment written to $env_file (source it: . $env_file)" >&2
else
  write_env
fi

if [ "${#problems[@]}" -gt 0 ]; then
  echo "Missing or wrong (${#problems[@]}):" >&2
  for p in "${problems[@]}"; do echo "  - $p" >&2; done
  exit 1
fi
echo "Kit complete: every item is present and matches manifest.json." >&2
