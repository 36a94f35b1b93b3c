#!/bin/sh
# Creates what compose.yaml's secrets point to in docker/secrets/, keeping what exists:
#   *.txt           random hex passwords and the management token
#   tls_cert.pem, tls_key.pem   a self-signed certificate for the balancer's HTTPS port (localhost and
#                   127.0.0.1); replace both files with the site's real certificate and key (PEM) to go live.
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
fi
chmod 644 "$dir"/*.txt "$dir"/*.pem
echo "secrets in $dir"
