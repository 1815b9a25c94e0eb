#!/usr/bin/env bash
# End-to-end benchmark: the learner with exactly-once on a broker process, against a pass-through
# Streams app and the in-memory core; latency at half rate; heap. Run it on an otherwise idle machine.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/streamprop" bench e2e "$@"
