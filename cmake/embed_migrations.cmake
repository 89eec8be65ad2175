# Writes OUTPUT: a C++ file holding every migrations/NNNN_name.sql, so the daemon needs
# no files beside its binary. Run at build time with -DSOURCE_DIR=... -DOUTPUT=...
file(GLOB files "${SOURCE_DIR}/migrations/*.sql")
list(SORT files)
set(body "")
foreach(file IN LISTS files)
  get_filename_component(name "${file}" NAME_WE)
  string(REGEX MATCH "^([0-9]+)_(.+)$" matched "${name}")
  if(NOT matched)
    message(FATAL_ERROR "migration ${file} is not named NNNN_description.sql")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  file(READ "${file}" sql)
  string(APPEND body "    {${version}, \"${CMAKE_MATCH_2}\", R\"lsmigration(${sql})lsmigration\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp"
"#include \"adapters/postgres/migrations.hpp\"\n\n"
"namespace leadstream::adapters::postgres {\n\n"
"const std::vector<Migration>& embedded_migrations() {\n"
"  static const std::vector<Migration> migrations{\n${body}  };\n"
"  return migrations;\n}\n\n"
"}  // namespace leadstream::adapters::postgres\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
