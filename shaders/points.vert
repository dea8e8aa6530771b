#version 330 core
// Points and polylines in world coordinates; `a_t` in [0, 1] picks the colour.
layout(location = 0) in vec2 a_pos;
layout(location = 1) in float a_t;
uniform vec4 u_view;  // world -> NDC: ndc = (pos - u_view.xy) * u_view.zw
uniform float u_point_size;
out float v_t;
void main() {
  gl_Position = vec4((a_pos - u_view.xy) * u_view.zw, 0.0, 1.0);
  gl_PointSize = u_point_size;
  v_t = a_t;
}
