#version 330 core
// A textured rectangle covering a world-space box.
layout(location = 0) in vec2 a_corner;  // (0,0) … (1,1)
uniform vec4 u_view;
uniform vec4 u_box;  // xmin, ymin, xmax, ymax
out vec2 v_uv;
void main() {
  vec2 p = mix(u_box.xy, u_box.zw, a_corner);
  gl_Position = vec4((p - u_view.xy) * u_view.zw, 0.0, 1.0);
  v_uv = a_corner;
}
