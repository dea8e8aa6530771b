#pragma once
// Move-only owners of OpenGL names. Copies are deleted; moves are written by hand
// with std::exchange so the moved-from object holds 0 and its destructor (which
// deletes only non-zero names) does nothing.
#include <glad/gl.h>

#include <string_view>
#include <utility>

namespace hbar::app::gl {

template <void (*Delete)(GLuint)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(GLuint id) : id_(id) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, 0)) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      if (id_) Delete(id_);
      id_ = std::exchange(o.id_, 0);
    }
    return *this;
  }
  ~Handle() {
    if (id_) Delete(id_);
  }
  GLuint id() const { return id_; }

 private:
  GLuint id_ = 0;
};

void delete_buffer(GLuint id);
void delete_vertex_array(GLuint id);
void delete_texture(GLuint id);
void delete_program(GLuint id);

using Buffer = Handle<delete_buffer>;
using VertexArray = Handle<delete_vertex_array>;
using Texture = Handle<delete_texture>;
using Program = Handle<delete_program>;

Buffer make_buffer();
VertexArray make_vertex_array();
Texture make_texture();
// Compiles and links; throws std::runtime_error with the driver's log on failure.
Program make_program(std::string_view vertex_src, std::string_view fragment_src);

}  // namespace hbar::app::gl
