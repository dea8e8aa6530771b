#include "objects.hpp"

#include <stdexcept>
#include <string>

namespace hbar::app::gl {

void delete_buffer(GLuint id) { glDeleteBuffers(1, &id); }
void delete_vertex_array(GLuint id) { glDeleteVertexArrays(1, &id); }
void delete_texture(GLuint id) { glDeleteTextures(1, &id); }
void delete_program(GLuint id) { glDeleteProgram(id); }

Buffer make_buffer() {
  GLuint id = 0;
  glGenBuffers(1, &id);
  return Buffer(id);
}

VertexArray make_vertex_array() {
  GLuint id = 0;
  glGenVertexArrays(1, &id);
  return VertexArray(id);
}

Texture make_texture() {
  GLuint id = 0;
  glGenTextures(1, &id);
  return Texture(id);
}

namespace {
GLuint compile(GLenum type, std::string_view src) {
  const GLuint s = glCreateShader(type);
  const char* p = src.data();
  const GLint n = static_cast<GLint>(src.size());
  glShaderSource(s, 1, &p, &n);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[2048];
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    glDeleteShader(s);
    throw std::runtime_error(std::string("shader compile failed: ") + log);
  }
  return s;
}
}  // namespace

Program make_program(std::string_view vertex_src, std::string_view fragment_src) {
  const GLuint vs = compile(GL_VERTEX_SHADER, vertex_src);
  const GLuint fs = compile(GL_FRAGMENT_SHADER, fragment_src);
  Program p(glCreateProgram());
  glAttachShader(p.id(), vs);
  glAttachShader(p.id(), fs);
  glLinkProgram(p.id());
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(p.id(), GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[2048];
    glGetProgramInfoLog(p.id(), sizeof log, nullptr, log);
    throw std::runtime_error(std::string("shader link failed: ") + log);
  }
  return p;
}

}  // namespace hbar::app::gl
