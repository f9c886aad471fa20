# Copyright 2027 Example Inspection Systems SAS. Licensed under the Apache License, Version 2.0.
"""Bringup of the inspection rover: perception, mission and the operator's bridge."""

import os

from ament_index_python.packages import get_package_share_directory
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, GroupAction, IncludeLaunchDescription, SetEnvironmentVariable
from launch.launch_description_sources import PythonLaunchDescriptionSource
from launch.substitutions import LaunchConfiguration, PathJoinSubstitution
from launch_ros.actions import Node, PushRosNamespace
from launch_ros.substitutions import FindPackageShare


def include(launch_dir, name, **arguments):
    return IncludeLaunchDescription(
        PythonLaunchDescriptionSource(os.path.join(launch_dir, name)),
        launch_arguments=arguments.items(),
    )


def generate_launch_description():
    launch_dir = os.path.join(get_package_share_directory('rover_bringup'), 'launch')
    namespace = LaunchConfiguration('namespace')
    use_sim = LaunchConfiguration('use_sim')
    container_name = 'rover_container'

    return LaunchDescription([
        DeclareLaunchArgument('namespace', default_value='rover'),
        DeclareLaunchArgument('use_sim', default_value='false'),
        DeclareLaunchArgument(
            'discovery_range', default_value='SUBNET',
            description='ROS_AUTOMATIC_DISCOVERY_RANGE: the base station joins the DDS domain over Wi-Fi'),
        SetEnvironmentVariable('ROS_AUTOMATIC_DISCOVERY_RANGE', LaunchConfiguration('discovery_range')),
        SetEnvironmentVariable('ROS_DOMAIN_ID', '42'),
        GroupAction([
            PushRosNamespace(namespace),
            include(launch_dir, 'perception.launch.py', container_name=container_name),
            IncludeLaunchDescription(
                PythonLaunchDescriptionSource([launch_dir, '/mission.launch.py']),
                launch_arguments={
                    'container_name': ['/', namespace, '/', container_name],
                    'use_sim': use_sim,
                }.items(),
            ),
            Node(
                package='rover_mission',
                executable='supervisor',
                name='supervisor',
                ros_arguments=['--enclave', '/rover/supervisor'],
            ),
            Node(package='robot_state_publisher', executable='robot_state_publisher'),
        ]),
        IncludeLaunchDescription(
            PythonLaunchDescriptionSource(
                PathJoinSubstitution([FindPackageShare('rover_bringup'), 'launch', 'operator.launch.py'])),
        ),
    ])
