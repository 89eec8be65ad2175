#include "adapters/postgres/binary_array.hpp"

#include <bit>
#include <concepts>
#include <cstring>

namespace leadstream::adapters::postgres {
namespace {

/// The wire format is big-endian, whatever this machine is.
template <std::unsigned_integral T>
void put_big_endian(std::string& out, T value) {
  for (int shift = 8 * (static_cast<int>(sizeof(T)) - 1); shift >= 0; shift -= 8) {
    out += static_cast<char>((value >> shift) & 0xff);
  }
}

}  // namespace

void BinaryArray::put_length(std::uint32_t length) {
  put_big_endian(elements_, length);
  ++size_;
}

void BinaryArray::add_text(std::string_view value) {
  if (value.find('\0') == std::string_view::npos) {
    put_length(static_cast<std::uint32_t>(value.size()));
    elements_.append(value);
    return;
  }
  std::string cleaned(value);
  std::erase(cleaned, '\0');
  add_text(cleaned);
}

void BinaryArray::add_int8(std::int64_t value) {
  put_length(sizeof value);
  put_big_endian(elements_, static_cast<std::uint64_t>(value));
}

void BinaryArray::add_bool(bool value) {
  put_length(1);
  elements_ += value ? '\1' : '\0';
}

void BinaryArray::add_float4(float value) {
  put_length(sizeof value);
  put_big_endian(elements_, std::bit_cast<std::uint32_t>(value));
}

pqxx::binarystring BinaryArray::build() {
  // Header: dimensions, has-nulls flag, element type; then the one dimension's length
  // and lower bound.
  std::string header;
  put_big_endian<std::uint32_t>(header, 1);
  put_big_endian<std::uint32_t>(header, 0);
  put_big_endian(header, static_cast<std::uint32_t>(element_));
  put_big_endian(header, static_cast<std::uint32_t>(size_));
  put_big_endian<std::uint32_t>(header, 1);
  // The elements were written after room for the header, so that filling it in here
  // leaves binarystring's copy as the only one of a page's bytes.
  std::memcpy(elements_.data(), header.data(), kHeaderSize);
  return pqxx::binarystring(elements_.data(), elements_.size());
}

}  // namespace leadstream::adapters::postgres
