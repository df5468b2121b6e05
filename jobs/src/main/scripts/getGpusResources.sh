#!/usr/bin/env bash
# Spark resource discovery script for GPUs (spark.executor.resource.gpu.discoveryScript and
# spark.driver.resource.gpu.discoveryScript). Prints the GPUs this host's executor may use as
#   {"name":"gpu","addresses":["0","1"]}
# from nvidia-smi; with no nvidia-smi (or no GPU) the address list is empty, which Spark reports
# as "not enough gpu" when spark.executor.resource.gpu.amount > 0 instead of running on the CPU
# by surprise. Addresses are CUDA device ordinals: io.passk.policy.Devices opens the task's
# first address as DJL's Device.gpu(address), so do not also set CUDA_VISIBLE_DEVICES (it renumbers).
set -u
addresses=()
if command -v nvidia-smi >/dev/null 2>&1; then
  while IFS= read -r idx; do
    idx="${idx//[[:space:]]/}"
    [[ "$idx" =~ ^[0-9]+$ ]] && addresses+=("$idx")
  done < <(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null || true)
fi
json=""
for a in "${addresses[@]+"${addresses[@]}"}"; do
  json+="${json:+,}\"$a\""
done
printf '{"name":"gpu","addresses":[%s]}\n' "$json"
