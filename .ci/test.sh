#!/usr/bin/env bash
# ./baoxue test：安装所需的一切并运行全部测试（Maven 依赖由 Maven 从 Maven Central 下载）。
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
if [[ ! -d ../shared/sample/landing ]]; then
  echo "提示：找不到 ../shared/sample/landing，样例交付的测试需要它（仓库旁的 shared/ 目录）。" >&2
fi
# -ntp hides download progress only; Surefire's test summary is printed in full.
mvn -B -ntp "$@" install
