# Writes OUTPUT: a C++ file holding api/openapi.json, so the daemon serves the document it
# was built with. Run at build time with -DINPUT=... -DOUTPUT=...
file(READ "${INPUT}" document)
string(FIND "${document}" ")lsopenapi\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string's delimiter")
endif()
file(WRITE "${OUTPUT}.tmp"
"#include \"api/openapi.hpp\"\n\n"
"namespace leadstream::api {\n\n"
"std::string_view openapi_document() {\n"
"  static constexpr std::string_view kDocument = R\"lsopenapi(${document})lsopenapi\";\n"
"  return kDocument;\n}\n\n"
"}  // namespace leadstream::api\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
