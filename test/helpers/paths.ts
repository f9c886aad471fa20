import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLE = join(ROOT, 'examples', 'courier-robot');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
/** Every real package.xml of ros2/rclcpp, ros2/demos and ros-navigation/navigation2 (see SOURCES). */
export const ROS_PACKAGES = join(FIXTURES, 'ros-packages');
