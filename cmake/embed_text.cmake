# Writes OUTPUT: a C++ file defining `std::string_view NAME()` in namespace NAMESPACE that
# returns INPUT's text, so the daemon needs no data files beside its binary. Run at build
# time with -DINPUT=... -DOUTPUT=... -DNAME=... -DNAMESPACE=... -DHEADER=...
file(READ "${INPUT}" text)
file(WRITE "${OUTPUT}.tmp"
"#include \"${HEADER}\"\n\n"
"namespace ${NAMESPACE} {\n\n"
"std::string_view ${NAME}() {\n"
"  return R\"lsembedded(${text})lsembedded\";\n}\n\n"
"}  // namespace ${NAMESPACE}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
