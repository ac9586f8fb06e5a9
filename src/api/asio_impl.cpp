// Asio and Beast compiled once, here, for the whole binary (with
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION set for
// every translation unit that includes them), to keep rebuilds fast.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
