# Writes the graphfake(1) man page from the binary's --help.
# Usage: cmake -DBINARY=path -DVERSION=x.y.z -DOUTPUT=graphfake.1 -P man_page.cmake
execute_process(COMMAND ${BINARY} --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${BINARY} --help failed: ${status}")
endif()
# roff: a backslash is written \e, and a line starting with . or ' would be a
# request, so \& goes before it.
string(REPLACE "\\" "\\e" help "${help}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
file(WRITE ${OUTPUT} ".TH GRAPHFAKE 1 \"\" \"graphfake ${VERSION}\" \"User Commands\"
.SH NAME
graphfake \\- a fake Microsoft Graph partner-billing export service, for testing clients
.SH DESCRIPTION
.nf
${help}.fi
.SH FILES
Under the installation prefix (\\fI/usr\\fR from the Debian package):
.TP
.I share/graphfake/scenarios/
ready-made scenario files for \\fB\\-\\-scenario\\fR, with their JSON Schema in \\fIschema/\\fR
.TP
.I share/doc/graphfake/
the README and the documentation
")
