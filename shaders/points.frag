#version 330 core
// Colour from a 1-D colour-map texture (u_use_map = 1) or a flat colour.
in float v_t;
uniform sampler2D u_map;
uniform int u_use_map;
uniform vec4 u_color;
uniform int u_round;  // round points
uniform int u_premul; // premultiplied output, for additive density accumulation
out vec4 frag;
void main() {
  if (u_round == 1) {
    vec2 d = gl_PointCoord - vec2(0.5);
    if (dot(d, d) > 0.25) discard;
  }
  vec4 c = u_use_map == 1 ? vec4(texture(u_map, vec2(clamp(v_t, 0.0, 1.0), 0.5)).rgb, 1.0) : vec4(1.0);
  frag = u_premul == 1 ? vec4(c.rgb * u_color.rgb * u_color.a, u_color.a) : c * u_color;
}
