# Copyright 2027 Example Inspection Systems SAS. Licensed under the Apache License, Version 2.0.
"""Mission executive, loaded into the perception container; a simulated mission source for tests."""

from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument
from launch.conditions import IfCondition
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import LoadComposableNodes, Node
from launch_ros.descriptions import ComposableNode


def generate_launch_description():
    use_sim = LaunchConfiguration('use_sim')
    return LaunchDescription([
        DeclareLaunchArgument('container_name', default_value='/rover/rover_container'),
        DeclareLaunchArgument('use_sim', default_value='false'),
        LoadComposableNodes(
            target_container=LaunchConfiguration('container_name'),
            composable_node_descriptions=[
                ComposableNode(
                    package='rover_mission',
                    plugin='rover_mission::MissionExecutive',
                    name='mission_executive',
                ),
            ],
        ),
        Node(
            package='rover_mission',
            executable='sim_mission_source',
            name='sim_mission_source',
            condition=IfCondition(use_sim),
        ),
    ])
