# Shared by the demo and test runners: install what is missing, build,
# install the extension.  Sourced, not run.

ideal_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Install the Debian packages named in "$@" that are not installed yet.
ensure_packages() {
	local missing=()
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing Debian packages: ${missing[*]}"
	local sudo=
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null; then
			sudo=sudo
		else
			echo "error: missing packages ${missing[*]}; run as root or install them" >&2
			return 1
		fi
	fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Build and install the extension into the server that pg_config names.
build_and_install() {
	local sudo=
	[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo=sudo
	make -C "$ideal_root" -s
	$sudo make -C "$ideal_root" -s install >/dev/null
}

ideal_base_packages=(make gcc libc6-dev postgresql-15 postgresql-server-dev-15
	postgresql-common libyaml-dev)

# what the test run needs beyond the build: pgTAP, the BI client drivers
ideal_test_packages=(postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
	perl unixodbc odbc-postgresql libpostgresql-jdbc-java openjdk-17-jdk-headless)

# A TCP port nobody listens on, for a throwaway cluster: pg_virtualenv -t
# would otherwise take 5432 and refuse to start beside a cluster already
# running there.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
		echo $((40000 + RANDOM % 20000))
}
