#!/usr/bin/env bash
# Installs the Debian packages gongkai needs, only those that are missing.
#   scripts/bootstrap-system.sh demo   -> what running the product needs (CJK fonts, PDF libraries)
#   scripts/bootstrap-system.sh test   -> plus what the test suite needs (chromium, poppler, PostgreSQL)
# Uses apt-get when it can (root, or sudo without a password); otherwise says what to install.
set -euo pipefail
profile="${1:-demo}"
packages=(fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai libpango-1.0-0 libpangoft2-1.0-0
          poppler-utils poppler-data)
if [ "$profile" = "test" ]; then
  packages+=(chromium postgresql postgresql-contrib)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "gongkai: 缺少系统软件包：${missing[*]}。本机没有 apt-get，请用系统的包管理器安装后重试。" >&2
  echo "gongkai: missing system packages: ${missing[*]} (no apt-get here; install them and retry)" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "gongkai: 缺少系统软件包，请以管理员身份运行：" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "gongkai: 正在安装系统软件包 / installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
