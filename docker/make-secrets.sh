#!/bin/sh
# Creates what compose.yaml's secrets point to in docker/secrets/, keeping what exists:
#   *.txt           random hex passwords and the management token
#   tls_cert.pem, tls_key.pem   the balancer's HTTPS certificate: when missing, a self-signed one (localhost and
#                   127.0.0.1) with a loud warning; replace both files with the site's real certificate chain and key
#                   (PEM) to go live (the balancer warns at every start while it serves a self-signed one).
# Compose mounts file secrets as they are (a bind mount keeps owner and mode), and the tiers run as user 10001
# and MariaDB as user 999 inside their containers: so the files are world-readable and the directory is not
# (mode 700), which keeps them from other users of this machine.
set -eu
dir="$(dirname "$0")/secrets"
mkdir -p "$dir"
chmod 700 "$dir"
for name in db_root app_db repl_db monitor_db failover_db management_token; do
  [ -s "$dir/$name.txt" ] || od -An -N24 -tx1 /dev/urandom | tr -d ' \n' > "$dir/$name.txt"
done
if [ ! -s "$dir/tls_cert.pem" ] || [ ! -s "$dir/tls_key.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/tls_key.pem" -out "$dir/tls_cert.pem" 2>/dev/null
  cat >&2 <<WARNING
******************************************************************************************************
*  NO TLS CERTIFICATE WAS SUPPLIED: made a SELF-SIGNED one in $dir/tls_cert.pem + tls_key.pem.
*  Browsers will refuse the site until a visitor clicks through. To go live, put the site's real
*  certificate chain (PEM) in tls_cert.pem and its key in tls_key.pem, then restart the balancer
*  (docker compose -f docker/compose.yaml restart balancer monitor). README "Security".
******************************************************************************************************
WARNING
fi
chmod 644 "$dir"/*.txt "$dir"/*.pem
echo "secrets in $dir"
