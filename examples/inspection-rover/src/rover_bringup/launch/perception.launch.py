# Copyright 2027 Example Inspection Systems SAS. Licensed under the Apache License, Version 2.0.
"""Camera and defect detector, composed into one container process."""

from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import ComposableNodeContainer
from launch_ros.descriptions import ComposableNode


def generate_launch_description():
    container_name = LaunchConfiguration('container_name')
    perception = [
        ComposableNode(package='rover_perception', plugin='rover_perception::CameraDriver', name='camera'),
        ComposableNode(package='rover_perception', plugin='rover_perception::DefectDetector', name='defect_detector'),
    ]
    return LaunchDescription([
        DeclareLaunchArgument('container_name', default_value='perception_container'),
        ComposableNodeContainer(
            name=container_name,
            namespace='',
            package='rclcpp_components',
            executable='component_container_mt',
            ros_arguments=['--enclave', '/rover/perception'],
            composable_node_descriptions=perception,
        ),
    ])
