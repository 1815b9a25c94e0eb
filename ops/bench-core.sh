#!/usr/bin/env bash
# Core benchmark: the network maths alone, against EJML's and numpy's products of the same sizes.
# Extra arguments go to 'streamprop bench core' (see --help). Run it on an otherwise idle machine.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/streamprop" bench core "$@"
