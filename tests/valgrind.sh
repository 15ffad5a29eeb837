#!/bin/sh
# Runs a program under valgrind; any leak or invalid access fails it (exit 99).
exec valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --error-exitcode=99 "$@"
