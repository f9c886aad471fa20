# Copyright 2027 Example Inspection Systems SAS. Licensed under the Apache License, Version 2.0.
"""What the operator's laptop talks to: the Foxglove bridge and the teleop relay."""

from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node


def generate_launch_description():
    return LaunchDescription([
        DeclareLaunchArgument('bridge_port', default_value='8765'),
        Node(
            package='foxglove_bridge',
            executable='foxglove_bridge',
            name='foxglove_bridge',
            namespace='operator',
            parameters=[{'port': LaunchConfiguration('bridge_port'), 'address': '0.0.0.0'}],
        ),
        Node(package='rover_teleop', executable='teleop_relay', name='teleop_relay', namespace='operator'),
    ])
