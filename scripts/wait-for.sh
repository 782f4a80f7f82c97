# Sourced by the system tests and the benchmark.
# wait_for TENTHS COMMAND...: run COMMAND every tenth of a second until it
# succeeds, at most TENTHS times. 0 once it succeeded, 1 otherwise.
wait_for()
{
	local tenths=$1
	shift
	while [ "$tenths" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		tenths=$((tenths - 1))
	done
	return 1
}
