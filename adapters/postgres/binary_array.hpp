#pragma once

#include <pqxx/binarystring>

#include <cstdint>
#include <string>
#include <string_view>

namespace leadstream::adapters::postgres {

/// A one-dimensional PostgreSQL array in the binary wire format, to pass as a statement
/// parameter. The server takes each element as it comes (array_recv) instead of parsing
/// a quoted literal (array_in), which for a page of a thousand profiles took longer than
/// inserting them. The parameter must be cast to the matching type, e.g. `$4::text[]`.
class BinaryArray {
 public:
  /// The element types we send, by their PostgreSQL type OID.
  enum class Element : std::uint32_t { kBool = 16, kInt8 = 20, kText = 25, kFloat4 = 700 };

  explicit BinaryArray(Element element) : element_(element), elements_(kHeaderSize, '\0') {}

  /// NUL bytes are dropped: PostgreSQL text cannot hold them.
  void add_text(std::string_view value);
  void add_int8(std::int64_t value);
  void add_bool(bool value);
  void add_float4(float value);

  int size() const { return size_; }
  pqxx::binarystring build();

 private:
  static constexpr std::size_t kHeaderSize = 20;

  void put_length(std::uint32_t length);

  Element element_;
  std::string elements_;  // room for the header, which build() fills in, then the elements
  int size_ = 0;
};

}  // namespace leadstream::adapters::postgres
