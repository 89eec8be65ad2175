// Asio and Beast are compiled once, here (BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION are set for every target that uses them).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
