# Writes version.h with the commit the tree is at, at every build (not only when cmake is
# configured: a result's context must name the build's source). "-dirty" when the tree has
# uncommitted changes. Only rewritten when it changes, so nothing rebuilds needlessly.
#   cmake -DSRC=<source dir> -DIN=<version.h.in> -DOUT=<version.h> -DPROJECT_VERSION=<v> -P version.cmake
execute_process(COMMAND git describe --always --dirty --abbrev=12
                WORKING_DIRECTORY ${SRC}
                OUTPUT_VARIABLE NETBENCH_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET)
if(NOT NETBENCH_GIT_COMMIT)
  set(NETBENCH_GIT_COMMIT unknown)
endif()
configure_file(${IN} ${OUT} @ONLY)
