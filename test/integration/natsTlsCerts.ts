import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../support/servers";

/**
 * Throwaway TLS material for the NATS TLS integration test, made with the openssl CLI: a CA, and a server
 * certificate it signs for localhost / 127.0.0.1, laid out as the operator's docker.nats.tls.hostDir must be
 * (tls.crt, tls.key, ca.crt). Nothing here is fixed: every run makes new keys, valid for one day.
 */

export interface TestCa {
  readonly certFile: string;
  readonly keyFile: string;
}

function newCa(openssl: string, dir: string, name: string): TestCa {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  run(openssl, [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    keyFile,
    "-out",
    certFile,
    "-days",
    "1",
    "-subj",
    `/CN=${name}`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  return { certFile, keyFile };
}

/**
 * Writes tls.crt, tls.key and ca.crt into `dir` (the hostDir layout), plus `other-ca.crt`: a second CA that did
 * not sign the server's certificate, for clients that must be refused.
 */
export function writeServerTls(openssl: string, dir: string): { ca: string; otherCa: string } {
  const ca = newCa(openssl, dir, "stellaops-test-ca");
  const other = newCa(openssl, dir, "other-ca");
  const csr = join(dir, "tls.csr");
  const extensions = join(dir, "server.ext");
  writeFileSync(
    extensions,
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "",
    ].join("\n"),
  );
  run(openssl, [
    "req",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    join(dir, "tls.key"),
    "-out",
    csr,
    "-subj",
    "/CN=localhost",
  ]);
  run(openssl, [
    "x509",
    "-req",
    "-in",
    csr,
    "-CA",
    ca.certFile,
    "-CAkey",
    ca.keyFile,
    "-CAcreateserial",
    "-out",
    join(dir, "tls.crt"),
    "-days",
    "1",
    "-extfile",
    extensions,
  ]);
  writeFileSync(join(dir, "ca.crt"), run(openssl, ["x509", "-in", ca.certFile]));
  return { ca: join(dir, "ca.crt"), otherCa: other.certFile };
}
